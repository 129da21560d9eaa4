export { marathonGenerator } from './generator';
export { capacity, capacityProblems, RESOURCES, type AppDemand, type CapacityReport, type Resource, type ResourceCapacity } from './capacity';
export { needsSidecar, instanceResources, type Resources } from './sidecar';
export { renderApp, type MarathonAppDefinition } from './app-definition';
export { checkMarathon } from './check';
export { imageProblem, parseImage, type ImageRef } from './image';
export { appFilePath, serviceName } from './names';
export type { FailureDomain } from './agents';
export { marathonDiff, diffMarathon } from './diff';
