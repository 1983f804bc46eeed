export { startFakeAutopackApi, type FakeAutopackApi, type FakeAutopackApiOptions, type FaultSpec, type RecordedCall } from "./server.js";
export { serviceModels, type ServiceModels } from "./schemas.js";
export type { FakeIssue, FakePhase, FakeRun, FakeTier } from "./state.js";
