import type { Rule } from '../types.js';

/** The WebSocket API rules, in catalogue order (websocket-api-failure-catalogue.md, W1…). */
export const WEBSOCKET_RULES: readonly Rule[] = [];
