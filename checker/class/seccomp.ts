/**
 * The seccomp filter of a grading sandbox (bubblewrap's `--seccomp`): a classic BPF program that
 * refuses, for every process inside, the system calls by which code under test could take over
 * the grading processes that share its user id: `ptrace`, `process_vm_readv`/`process_vm_writev`,
 * and sending SIGUSR1 (which makes a Node.js process open its inspector, where anyone on the
 * loopback can run code in it). Refused calls fail with EPERM; other architectures' system calls
 * (x32, 32-bit) kill the process.
 * @module
 */

/** System call numbers of the architectures the filter knows. */
const SYSCALLS = {
  x64: { audit: 0xc000003e, ptrace: 101, processVmReadv: 310, processVmWritev: 311, kill: 62, tkill: 200, rtSigqueueinfo: 129, pidfdSendSignal: 424, tgkill: 234, rtTgsigqueueinfo: 297 },
  arm64: { audit: 0xc00000b7, ptrace: 117, processVmReadv: 270, processVmWritev: 271, kill: 129, tkill: 130, rtSigqueueinfo: 138, pidfdSendSignal: 424, tgkill: 131, rtTgsigqueueinfo: 240 },
} as const;

const SIGUSR1 = 10;
const EPERM = 1;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
const RET_KILL_PROCESS = 0x80000000;
const X32_BIT = 0x40000000;
// Classic BPF opcodes.
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;

type Instruction = { code: number; jt: number | string; jf: number | string; k: number; label?: string };

/** The filter for this machine's architecture, as the bytes bubblewrap reads; undefined where it is not known. */
export function seccompFilter(arch: string = process.arch): Buffer | undefined {
  if (arch !== 'x64' && arch !== 'arm64') return undefined;
  const nr = SYSCALLS[arch];
  const program: Instruction[] = [
    { code: LD_W_ABS, jt: 0, jf: 0, k: 4 }, // seccomp_data.arch
    { code: JEQ_K, jt: 0, jf: 'kill', k: nr.audit },
    { code: LD_W_ABS, jt: 0, jf: 0, k: 0 }, // seccomp_data.nr
    ...[nr.ptrace, nr.processVmReadv, nr.processVmWritev].map((k) => ({ code: JEQ_K, jt: 'deny', jf: 0, k })),
    ...[nr.kill, nr.tkill, nr.rtSigqueueinfo, nr.pidfdSendSignal].map((k) => ({ code: JEQ_K, jt: 'signal-arg1', jf: 0, k })),
    ...[nr.tgkill, nr.rtTgsigqueueinfo].map((k) => ({ code: JEQ_K, jt: 'signal-arg2', jf: 0, k })),
    ...(arch === 'x64' ? [{ code: JGE_K, jt: 'deny', jf: 0, k: X32_BIT }] : []),
    { code: RET_K, jt: 0, jf: 0, k: RET_ALLOW },
    { code: LD_W_ABS, jt: 0, jf: 0, k: 16 + 8, label: 'signal-arg1' }, // low word of args[1]
    { code: JEQ_K, jt: 'deny', jf: 'allow', k: SIGUSR1 },
    { code: LD_W_ABS, jt: 0, jf: 0, k: 16 + 16, label: 'signal-arg2' }, // low word of args[2]
    { code: JEQ_K, jt: 'deny', jf: 'allow', k: SIGUSR1 },
    { code: RET_K, jt: 0, jf: 0, k: RET_ALLOW, label: 'allow' },
    { code: RET_K, jt: 0, jf: 0, k: RET_ERRNO | EPERM, label: 'deny' },
    { code: RET_K, jt: 0, jf: 0, k: RET_KILL_PROCESS, label: 'kill' },
  ];
  const at = (label: string) => program.findIndex((i) => i.label === label);
  const bytes = Buffer.alloc(program.length * 8);
  program.forEach((instruction, index) => {
    const jump = (target: number | string) => (typeof target === 'number' ? target : at(target) - index - 1);
    bytes.writeUInt16LE(instruction.code, index * 8);
    bytes.writeUInt8(jump(instruction.jt), index * 8 + 2);
    bytes.writeUInt8(jump(instruction.jf), index * 8 + 3);
    bytes.writeUInt32LE(instruction.k >>> 0, index * 8 + 4);
  });
  return bytes;
}
