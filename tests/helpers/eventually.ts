/** Tests retry settling state with the same loop the scripts use (scripts/stack/eventually.ts). */
export { eventually } from '../../scripts/stack/eventually.js';
