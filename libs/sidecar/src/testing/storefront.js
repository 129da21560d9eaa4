// Test support: a storefront-like app. It serves HTTP on APP_PORT and answers each request by
// calling its dependency at CUSTOMERS_API_HOST:CUSTOMERS_API_PORT (the sidecar's local port),
// so it never learns where the dependency really runs. Plain JS: it runs under any node.
'use strict';
const http = require('node:http');

const server = http.createServer((req, res) => {
  const upstream = http.get({ host: process.env.CUSTOMERS_API_HOST, port: Number(process.env.CUSTOMERS_API_PORT), path: '/', agent: false }, (up) => {
    let body = '';
    up.setEncoding('utf8').on('data', (d) => (body += d)).on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`storefront via customers-api: ${body}`);
    });
  });
  upstream.on('error', (err) => {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`customers-api unavailable: ${err.message}`);
  });
});
server.listen(Number(process.env.APP_PORT), '127.0.0.1', () => process.stdout.write(`storefront listening on ${process.env.APP_PORT}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
