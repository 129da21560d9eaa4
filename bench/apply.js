#!/usr/bin/env node
// Apply bench (issue 13): 1,000 changed Marathon apps (in 5 dependency layers, each app after two
// of the layer before) applied to the loopback Marathon whose deployments take 0.3 s each, with
// the real client and step, concurrently (the default concurrency) and one app at a time.
// The one-at-a-time run takes about 5 minutes for 1,000 apps, so by default it is measured on
// the first BENCH_APPLY_SEQ_APPS (100) apps and scaled linearly (each app is one full deployment
// wait: the time is linear in the count); BENCH_APPLY_SEQ_APPS=1000 measures all of it.
// Writes bench/apply-results.json.
'use strict';
require('tsx/cjs');
const fs = require('node:fs');
const path = require('node:path');
const { MarathonClient } = require('../libs/apply/src/marathon-client');
const { runMarathonStep, DEFAULT_CONCURRENCY } = require('../libs/apply/src/marathon-step');
const { LoopbackMarathon } = require('../libs/apply/src/testing/loopback-marathon');

const APPS = 1000;
const LAYERS = 5;
const DEPLOYMENT_MS = 300;
const POLL_MS = 50;
const SEQ_APPS = Number(process.env.BENCH_APPLY_SEQ_APPS) || 100;

function apps(n) {
  const perLayer = n / LAYERS;
  const id = (i) => `/bench/layer${Math.floor(i / perLayer)}/app-${String(i).padStart(4, '0')}`;
  return Array.from({ length: n }, (_, i) => {
    const layer = Math.floor(i / perLayer);
    // Two apps of the layer before: the one at the same position and one spread across it.
    const before = (layer - 1) * perLayer;
    const deps = layer === 0 ? [] : [...new Set([id(i - perLayer), id(before + ((i * 7) % perLayer))])];
    return {
      id: id(i), instances: 2, cpus: 0.1, mem: 64, dependencies: deps,
      container: { type: 'DOCKER', docker: { image: 'registry.example.net/bench:1.0.0' } },
      labels: { MANAGED_BY: 'infra' },
    };
  });
}

async function measure(list, concurrency) {
  const m = new LoopbackMarathon({ deploymentMs: DEPLOYMENT_MS });
  const url = await m.start();
  try {
    const client = new MarathonClient({ url, pollMs: POLL_MS });
    const t0 = process.hrtime.bigint();
    await runMarathonStep(client, { deploy: list, remove: [] }, { appDeadlineMs: 60_000, concurrency, dependsOn: (a) => a.dependencies });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    // The order held: no app was sent before the deployments of what it depends on finished.
    for (const app of list) {
      const put = m.requests.find((r) => r.method === 'PUT' && r.path === `/v2/apps${app.id}`);
      for (const d of app.dependencies) if (put.at < m.finishedAt.get(d)) throw new Error(`${app.id} was sent before ${d} finished`);
    }
    return { s, maxConcurrent: m.maxConcurrent };
  } finally {
    await m.stop();
  }
}

async function main() {
  const list = apps(APPS);
  process.stderr.write(`apply bench: ${APPS} apps, ${DEPLOYMENT_MS} ms deployments, concurrency ${DEFAULT_CONCURRENCY}... `);
  const concurrent = await measure(list, DEFAULT_CONCURRENCY);
  process.stderr.write(`${concurrent.s.toFixed(2)} s; one at a time on ${SEQ_APPS} apps... `);
  const sequential = await measure(apps(SEQ_APPS), 1);
  const sequential1000 = sequential.s * (APPS / SEQ_APPS);
  process.stderr.write(`${sequential.s.toFixed(2)} s\n`);
  const result = {
    apply_1000_apps_s: Number(concurrent.s.toFixed(2)),
    apply_1000_apps_sequential_s: Number(sequential1000.toFixed(1)),
    sequential_measured_apps: SEQ_APPS,
    speedup: Number((sequential1000 / concurrent.s).toFixed(1)),
    concurrency: DEFAULT_CONCURRENCY,
    max_deployments_at_once: concurrent.maxConcurrent,
    deployment_ms: DEPLOYMENT_MS,
    poll_ms: POLL_MS,
    target_speedup: 10,
  };
  fs.writeFileSync(path.join(__dirname, 'apply-results.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(`apply: 1,000 apps in ${result.apply_1000_apps_s} s at concurrency ${result.concurrency} vs ${result.apply_1000_apps_sequential_s} s one at a time` +
    `${SEQ_APPS < APPS ? ` (measured on ${SEQ_APPS} apps, scaled)` : ''}: ${result.speedup}× (target ≥ 10×)${result.speedup >= 10 ? '' : ' — BELOW TARGET'}`);
  if (result.speedup < 10) process.exitCode = 1;
}

main();
