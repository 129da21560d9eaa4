#!/usr/bin/env node
// What of a running sidecar (or any Node process) is resident, and why: the diagnostic behind
// README "The sidecar", *What is resident*. Reads /proc/PID/status, /proc/PID/maps and
// /proc/PID/pagemap (the process's owner or root), and, when readable, /proc/kpageflags (root)
// for the page-cache folios the file pages sit in.
//
//   node bench/sidecar-resident.js PID [--symbols /usr/bin/node]
//
// Prints VmRSS = RssAnon + RssFile; per mapping of the executable, the resident KiB and how
// much of it is in large folios; per ELF section, the resident KiB; with --symbols (an
// unstripped Node binary of the same build: the single executable is a stripped copy, so the
// addresses agree), the resident KiB by what the symbols say it is (V8 compiler, ICU data, …)
// and, for ICU's data, by item (time-zone tables, locales).
'use strict';
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

const PAGE = 4096;

function mappings(pid) {
  return fs.readFileSync(`/proc/${pid}/maps`, 'utf8').trim().split('\n').map((line) => {
    const [range, perm, off, , , name] = line.split(/\s+/);
    const [a, b] = range.split('-').map((x) => parseInt(x, 16));
    return { a, b, perm, off: parseInt(off, 16), name: name || '' };
  });
}

/** For each page of [a, b): its PFN when present, else -1. */
function presentPages(pid, a, b) {
  const n = (b - a) / PAGE;
  const buf = Buffer.alloc(n * 8);
  const fd = fs.openSync(`/proc/${pid}/pagemap`, 'r');
  try { fs.readSync(fd, buf, 0, n * 8, (a / PAGE) * 8); } finally { fs.closeSync(fd); }
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = buf.readBigUInt64LE(i * 8);
    out[i] = v >> 63n ? Number(v & ((1n << 55n) - 1n)) : -1;
  }
  return out;
}

function kpageflags() {
  try {
    const fd = fs.openSync('/proc/kpageflags', 'r');
    const b = Buffer.alloc(8);
    return (pfn) => { fs.readSync(fd, b, 0, 8, pfn * 8); return b.readBigUInt64LE(0); };
  } catch { return undefined; }
}

function sections(file) {
  return execFileSync('readelf', ['-SW', file], { encoding: 'utf8' }).split('\n')
    .map((l) => /\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)/.exec(l)).filter(Boolean)
    .map((m) => ({ name: m[1], addr: parseInt(m[2], 16), off: parseInt(m[3], 16), size: parseInt(m[4], 16) }))
    .filter((s) => s.addr > 0 && s.size > 0);
}

function symbolTable(file) {
  const syms = execFileSync('nm', ['-S', '-n', file], { encoding: 'utf8', maxBuffer: 1 << 30 }).split('\n')
    .map((l) => l.split(' ')).filter((p) => p.length === 4)
    .map(([a, s, , n]) => ({ a: parseInt(a, 16), s: parseInt(s, 16), n })).filter((x) => x.s > 0);
  return (v) => {
    let lo = 0;
    let hi = syms.length - 1;
    let best = -1;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (syms[mid].a <= v) { best = mid; lo = mid + 1; } else hi = mid - 1; }
    return best >= 0 && v < syms[best].a + syms[best].s ? syms[best] : undefined;
  };
}

function category(n) {
  if (!n) return '(no sized symbol: string literals, Node\'s built-in JavaScript, symbol tables)';
  if (n.startsWith('icudt')) return 'ICU data';
  if (/^_ZN2v88internal8compiler/.test(n)) return 'V8 optimizing compiler';
  if (/^_ZN2v88internal4wasm/.test(n)) return 'V8 WebAssembly';
  if (/^Builtins_/.test(n)) return 'V8 embedded builtins';
  if (/^_ZN2v8/.test(n)) return 'V8, other';
  if (/^_ZN4node/.test(n)) return 'Node';
  if (/^uv_/.test(n)) return 'libuv';
  if (/^_ZN6icu_|^u[a-z]+_\d+$|_\d\d$/.test(n)) return 'ICU code';
  if (/^(EVP|OPENSSL|ossl|SSL|X509|BN_|CRYPTO|ASN1|ERR_|OBJ_|RSA|EC_|PEM|BIO|nid_objs|ecp_)/.test(n)) return 'OpenSSL';
  return 'other';
}

/** ICU's common data: a table of contents of named items (ucmndata.h). */
function icuItems(file, sym) {
  const secs = sections(file);
  const ro = secs.find((s) => sym.a >= s.addr && sym.a < s.addr + s.size);
  const data = Buffer.alloc(sym.s);
  const fd = fs.openSync(file, 'r');
  try { fs.readSync(fd, data, 0, sym.s, sym.a - ro.addr + ro.off); } finally { fs.closeSync(fd); }
  const toc = data.readUInt16LE(0);
  const count = data.readUInt32LE(toc);
  const items = [];
  for (let i = 0; i < count; i++) {
    const nameOff = data.readUInt32LE(toc + 4 + i * 8);
    let e = toc + nameOff;
    while (data[e]) e++;
    items.push({ name: data.toString('latin1', toc + nameOff, e), start: sym.a + toc + data.readUInt32LE(toc + 8 + i * 8) });
  }
  items.sort((x, y) => x.start - y.start);
  items.forEach((it, i) => (it.end = i + 1 < items.length ? items[i + 1].start : sym.a + sym.s));
  return items;
}

function main(argv) {
  const pid = Number(argv[0]);
  if (!Number.isInteger(pid) || pid <= 0) {
    process.stderr.write('usage: node bench/sidecar-resident.js PID [--symbols /path/to/unstripped/node]\n');
    return 2;
  }
  const symbolsAt = argv.indexOf('--symbols');
  const symFile = symbolsAt >= 0 ? argv[symbolsAt + 1] : undefined;
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  const exe = fs.readlinkSync(`/proc/${pid}/exe`);
  console.log(`${exe}: VmRSS ${kib('VmRSS')} KiB = RssAnon ${kib('RssAnon')} + RssFile ${kib('RssFile')} (+ RssShmem ${kib('RssShmem')}); VmHWM ${kib('VmHWM')} KiB`);

  const flags = kpageflags();
  const secs = sections(exe);
  const symAt = symFile ? symbolTable(symFile) : undefined;
  const bySection = new Map();
  const byCategory = new Map();
  const residentAddrs = [];
  for (const m of mappings(pid).filter((x) => x.name === exe)) {
    const pfns = presentPages(pid, m.a, m.b);
    let present = 0;
    let large = 0;
    pfns.forEach((pfn, i) => {
      if (pfn < 0) return;
      present++;
      // KPF_COMPOUND_HEAD (15) or KPF_COMPOUND_TAIL (16): part of a large folio.
      if (flags && pfn > 0 && (flags(pfn) >> 15n) & 3n) large++;
      const v = m.a + i * PAGE;
      residentAddrs.push(v);
      const off = m.off + i * PAGE;
      const s = secs.find((x) => off < x.off + x.size && off + PAGE > x.off);
      bySection.set(s ? s.name : '(between sections)', (bySection.get(s ? s.name : '(between sections)') ?? 0) + 4);
      if (symAt) { const c = `${m.perm} ${category(symAt(v + PAGE / 2)?.n ?? symAt(v)?.n)}`; byCategory.set(c, (byCategory.get(c) ?? 0) + 4); }
    });
    console.log(`  ${m.perm} at file offset 0x${m.off.toString(16)}, ${(m.b - m.a) / 1024} KiB: ${present * 4} KiB resident${flags ? `, ${large * 4} KiB of it in large folios` : ''}`);
  }
  const show = (title, map) => {
    console.log(title);
    for (const [k, v] of [...map].sort((x, y) => y[1] - x[1]).filter(([, v]) => v >= 64)) console.log(`  ${String(v).padStart(6)} KiB  ${k}`);
  };
  show('Resident by ELF section (KiB; sections under 64 KiB left out):', bySection);
  if (symAt) {
    show('Resident by what the symbols say (KiB):', byCategory);
    const icuSym = execFileSync('nm', ['-S', symFile], { encoding: 'utf8', maxBuffer: 1 << 30 }).split('\n').map((l) => l.split(' ')).find((p) => p.length === 4 && p[3].startsWith('icudt'));
    if (icuSym) {
      const items = icuItems(symFile, { a: parseInt(icuSym[0], 16), s: parseInt(icuSym[1], 16) });
      const byItem = new Map();
      for (const v of residentAddrs) for (const it of items) if (it.start < v + PAGE && it.end > v) byItem.set(it.name, (byItem.get(it.name) ?? 0) + 4);
      show('ICU data items touching resident pages (KiB; a page shared by items counts for each):', byItem);
    }
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
