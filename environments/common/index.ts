export { stemcell } from './stemcell';
export { sizes } from './sizes';
export { appCatalogue, PRODUCTION, sidecar, type CatalogueValues } from './apps';
