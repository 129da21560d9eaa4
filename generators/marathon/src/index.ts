export { marathonGenerator } from './generator';
export { capacityProblems } from './capacity';
export { renderApp, type MarathonAppDefinition } from './app-definition';
export { checkMarathon } from './check';
export { imageProblem, parseImage, type ImageRef } from './image';
export { appFilePath, serviceName } from './names';
export { marathonDiff, diffMarathon } from './diff';
