#!/usr/bin/env node
// Runs first inside a grading sandbox (sandbox.ts), before any code of the submission:
// 1. reads the key that seals the grading's result (grade/result-seal.ts) from its standard input,
//    which the gradebook then closes: the key is handed to the grader alone, in its environment
//    (no process of the submission may read that: the grader is not dumpable);
// 2. copies the read-only staged workspace (the submission's code, its cache) into the
//    size-limited scratch folders;
// 3. for each service an exercise needs, listens on the service's port on the sandbox's own
//    loopback and forwards every connection to a unix socket that the gradebook bridges to the
//    real server (service-bridge.ts);
// then runs the grading command given as its arguments and exits with its exit code.
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');

const key = fs.readFileSync(0, 'utf8').trim();
const bridges = JSON.parse(process.env.SANDBOX_BRIDGES || '[]');
const stage = process.env.SANDBOX_STAGE;
const root = process.env.SANDBOX_ROOT;
delete process.env.SANDBOX_BRIDGES;
delete process.env.SANDBOX_STAGE;
delete process.env.SANDBOX_ROOT;

for (const name of fs.readdirSync(stage)) fs.cpSync(path.join(stage, name), path.join(root, name), { recursive: true });

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
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, GRADE_RESULT_KEY: key } });
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 0)));
  },
  (error) => {
    console.error(`sandbox: could not bridge a service: ${error.message}`);
    process.exit(1);
  },
);
