import type { ProviderConfig } from '../config.js';
import { anthropicProvider } from './anthropic-messages.js';
import type { ModelProvider } from './model-provider.js';
import { openAiProvider } from './openai-chat.js';

export function createProvider(config: ProviderConfig): ModelProvider {
  return config.name === 'anthropic' ? anthropicProvider(config) : openAiProvider(config);
}
