/** The package version, reported to hosts in the MCP initialize handshake. */
export const PACKAGE_VERSION = '0.1.0';
