import { needsSidecar, type MarathonApp } from '@infra/model';
import { serviceName } from './names';

/** The value of the `MANAGED_BY` label on every rendered app. */
export const MANAGED_BY_VALUE = 'infra';

/**
 * Labels read by the load balancer (marathon-lb's HAPROXY_* names) and by service discovery.
 * Every value is a string: Marathon refuses anything else in labels.
 */
export function appLabels(app: MarathonApp): Record<string, string> {
  const labels: Record<string, string> = {
    // The managed-by marker of DESIGN §3: apply refuses a file without it, and drift and
    // deletions touch only apps that carry it (an app someone started by hand is left alone).
    MANAGED_BY: MANAGED_BY_VALUE,
    // The name JVM discovery clients and the sidecar look the app up by, and its ports by
    // name in index order (host ports are dynamic; the name tells which index to use).
    SERVICE_NAME: serviceName(app.id),
    SIDECAR: String(needsSidecar(app)),
  };
  if (app.ports.length > 0) labels.SERVICE_PORTS = app.ports.map((p) => p.name).join(',');
  if (app.expose !== undefined) {
    const index = app.ports.findIndex((p) => p.name === app.expose!.port);
    if (index >= 0) {
      labels.HAPROXY_GROUP = 'external';
      labels[`HAPROXY_${index}_VHOST`] = app.expose.vhost;
      labels[`HAPROXY_${index}_MODE`] = 'http';
      // marathon-lb would otherwise open a frontend on every port of an exposed app.
      app.ports.forEach((_, i) => {
        if (i !== index) labels[`HAPROXY_${i}_ENABLED`] = 'false';
      });
    }
  }
  return labels;
}
