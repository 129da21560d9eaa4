#!/usr/bin/env node
// Copies the upstream reference files the tests validate against from ../shared/reference (or
// the folder given as the first argument) into reference/, so tests run on a bare clone. The
// 4.6 MB AWS provider schema is cut down to the resource and data-source types we render (plus
// a few neighbours), keeping each kept type byte-for-byte as upstream gave it. Re-run after
// a generator starts emitting a new AWS type: the provider-schema test names the missing type.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const AWS_TYPES = {
  resource_schemas: [
    'aws_instance', 'aws_security_group', 'aws_subnet', 'aws_vpc', 'aws_vpc_dhcp_options', 'aws_vpc_dhcp_options_association',
    'aws_vpc_security_group_egress_rule', 'aws_vpc_security_group_ingress_rule', 'aws_security_group_rule', 'aws_route53_record',
    'aws_route53_zone', 'aws_lb', 'aws_lb_listener', 'aws_lb_target_group', 'aws_ebs_volume', 'aws_volume_attachment',
  ],
  data_source_schemas: ['aws_ami', 'aws_availability_zones', 'aws_vpc', 'aws_subnet'],
};
const COPY = [
  'SOURCES.md',
  'VladRassokhin-terraform-metadata',
  'apache-hadoop',
  'canonical-cloud-init',
  'mesosphere-marathon',
  'notes',
  'schemastore-schemastore',
];
const AWS_FILE = 'vadirajks-terraform-provider-schema-exporter/aws-provider-schema-v6.19.0.json';

const from = path.resolve(process.argv[2] || path.join(__dirname, '../../shared/reference'));
const to = path.join(__dirname, '../reference');
for (const entry of COPY) fs.cpSync(path.join(from, entry), path.join(to, entry), { recursive: true });

const aws = JSON.parse(fs.readFileSync(path.join(from, AWS_FILE), 'utf8'));
const provider = aws.provider_schemas['registry.terraform.io/hashicorp/aws'];
const pick = (all, names) => Object.fromEntries(names.filter((n) => all[n]).sort().map((n) => [n, all[n]]));
const subset = {
  format_version: aws.format_version,
  provider_schemas: {
    'registry.terraform.io/hashicorp/aws': {
      provider: provider.provider,
      resource_schemas: pick(provider.resource_schemas, AWS_TYPES.resource_schemas),
      data_source_schemas: pick(provider.data_source_schemas, AWS_TYPES.data_source_schemas),
    },
  },
};
fs.mkdirSync(path.dirname(path.join(to, AWS_FILE)), { recursive: true });
fs.writeFileSync(path.join(to, AWS_FILE), JSON.stringify(subset, null, 1) + '\n');
console.log(`reference/ updated from ${from}`);
