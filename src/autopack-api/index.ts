export {
  createAutopackApi,
  type AutopackApi,
  type AutopackApiOptions,
  type MirrorCall,
  type MirrorSendResult,
  type ApiLogger,
} from "./client.js";
export { createDisabledAutopackApi } from "./disabled.js";
export { auditorRequestBody, auditorResultBody, builderResultBody, findingToIssue, runStartBody } from "./bodies.js";
export type * from "./schemas.js";
