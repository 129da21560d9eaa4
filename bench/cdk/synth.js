#!/usr/bin/env node
// CDK for Terraform, measured (issue 15): the same VMs as `infra render` writes into
// rendered/<env>/terraform, built as an idiomatic CDKTF program would build them (typed
// constructs of the prebuilt vSphere provider bindings, references between constructs, one
// TerraformLocal per group's user-data) and synthesised with app.synth() into OUTDIR.
// Its input, SPEC, is a plain list of the VMs' settings that bench/run.js extracts from a rendered
// tree outside the timed window, as the floor's blob is.
//
//   node bench/cdk/synth.js CDK_DIR SPEC OUTDIR     CDK_DIR: where bench/cdk/package.json is installed
//
// What it covers: the provider, the data sources the VMs read, every vsphere_virtual_machine with
// its disks, clone/customize, extra_config, replace_trigger and lifecycle, the user-data locals.
// What it leaves out (so CDK does slightly less work than render's Terraform part): the rack
// host/VM groups and rules, the data disks' own vsphere_virtual_disk resources.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { createRequire } = require('node:module');

const [cdkDir, specFile, outDir] = process.argv.slice(2);
if (!cdkDir || !specFile || !outDir) {
  process.stderr.write('usage: node bench/cdk/synth.js CDK_DIR SPEC OUTDIR\n');
  process.exit(2);
}
const need = createRequire(path.join(path.resolve(cdkDir), 'package.json'));
const { App, TerraformStack, TerraformLocal, Fn } = need('cdktf');
const vs = need('@cdktf/provider-vsphere');

const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));

class Datacenter extends TerraformStack {
  constructor(scope, id) {
    super(scope, id);
    new vs.provider.VsphereProvider(this, 'vsphere', { vsphereServer: spec.server, allowUnverifiedSsl: false });
    const dc = new vs.dataVsphereDatacenter.DataVsphereDatacenter(this, 'datacenter', { name: spec.datacenter });
    const datastore = new vs.dataVsphereDatastore.DataVsphereDatastore(this, 'datastore', { name: spec.datastore, datacenterId: dc.id });
    const cluster = new vs.dataVsphereComputeCluster.DataVsphereComputeCluster(this, 'cluster', { name: spec.cluster, datacenterId: dc.id });
    const stemcell = new vs.dataVsphereVirtualMachine.DataVsphereVirtualMachine(this, 'stemcell', { name: spec.template, datacenterId: dc.id });
    const networks = {};
    for (const [id, name] of Object.entries(spec.networks)) {
      networks[id] = new vs.dataVsphereNetwork.DataVsphereNetwork(this, `network-${id}`, { name, datacenterId: dc.id });
    }
    const userData = {};
    for (const [group, text] of Object.entries(spec.userData)) {
      userData[group] = new TerraformLocal(this, `userdata_${group}`, text);
    }
    for (const vm of spec.vms) {
      new vs.virtualMachine.VirtualMachine(this, vm.name, {
        name: vm.name,
        annotation: vm.annotation,
        folder: vm.folder,
        resourcePoolId: cluster.resourcePoolId,
        datastoreId: datastore.id,
        numCpus: vm.cpus,
        memory: vm.memory,
        guestId: stemcell.guestId,
        scsiType: stemcell.scsiType,
        networkInterface: [{ networkId: networks[vm.network].id, adapterType: Fn.element(stemcell.networkInterfaceTypes, 0) }],
        disk: vm.disks.map((d, i) => ({
          label: d.label,
          size: d.size,
          unitNumber: d.unitNumber,
          attach: d.attach,
          path: d.path,
          datastoreId: d.attach ? datastore.id : undefined,
          thinProvisioned: i === 0 ? stemcell.disks.get(0).thinProvisioned : undefined,
        })),
        clone: {
          templateUuid: stemcell.id,
          customize: {
            dnsServerList: vm.dnsServers,
            dnsSuffixList: vm.dnsSuffixes,
            ipv4Gateway: vm.gateway,
            linuxOptions: { domain: vm.domain, hostName: vm.name },
            networkInterface: [{ ipv4Address: vm.ip, ipv4Netmask: vm.netmask }],
          },
        },
        extraConfig: vm.userData ? { 'guestinfo.userdata': userData[vm.userData].asString, 'guestinfo.userdata.encoding': 'gzip+base64' } : undefined,
        replaceTrigger: vm.replaceTrigger,
        lifecycle: vm.ignoreChanges ? { ignoreChanges: vm.ignoreChanges } : undefined,
      });
    }
  }
}

const app = new App({ outdir: outDir, skipValidation: false });
new Datacenter(app, spec.env);
app.synth();
