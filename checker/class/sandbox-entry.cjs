#!/usr/bin/env node
// Runs first inside a grading sandbox (sandbox.ts): for each service an exercise needs, it listens
// on the service's port on the sandbox's own loopback and forwards every connection to a unix
// socket that the gradebook bridges to the real server (service-bridge.ts). Then it runs the
// grading command given as its arguments and exits with its exit code.
'use strict';
const net = require('node:net');
const { spawn } = require('node:child_process');

const bridges = JSON.parse(process.env.SANDBOX_BRIDGES || '[]');
delete process.env.SANDBOX_BRIDGES;

function listen({ port, socket }) {
  return new Promise((resolve, reject) => {
    const server = net.createServer((client) => {
      const upstream = net.connect(socket);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.unref();
      resolve();
    });
  });
}

Promise.all(bridges.map(listen)).then(
  () => {
    const [command, ...args] = process.argv.slice(2);
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 0)));
  },
  (error) => {
    console.error(`sandbox: could not bridge a service: ${error.message}`);
    process.exit(1);
  },
);
