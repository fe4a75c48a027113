/**
 * The system as a sandbox sees it, read-only: what both the gradebook's sandbox (checker/class/sandbox.ts)
 * and the submission's own sandbox inside it (submission-process.ts) mount.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';

/** The few files of /etc that programs need: names, time zone, libraries, certificates. */
const ETC = ['hosts', 'passwd', 'group', 'nsswitch.conf', 'localtime', 'ld.so.cache', 'ld.so.conf', 'ld.so.conf.d', 'ssl', 'ca-certificates', 'alternatives'];

/** The node running the gradebook, its real path. */
export const nodePath = (): string => fs.realpathSync(process.execPath);

/** Mounts of the system: /usr and what links into it, read-only; a symlink stays a symlink. */
export function systemMounts(): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const dir of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    const stat = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) args.push('--symlink', fs.readlinkSync(dir), dir);
    else if (stat?.isDirectory()) args.push('--ro-bind', dir, dir);
  }
  for (const name of ETC) args.push('--ro-bind-try', path.join('/etc', name), path.join('/etc', name));
  // Node may live outside /usr (nvm, a tarball): its installation, read-only.
  const node = path.dirname(path.dirname(nodePath()));
  if (!node.startsWith('/usr/') && node !== '/usr') args.push('--ro-bind', node, node);
  return args;
}

