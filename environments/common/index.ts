export { stemcell } from './stemcell';
export { sizes } from './sizes';
export { apps, sidecar } from './apps';
