/** A description of the machine and software a benchmark ran on, for the report. */
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** What the figures were measured on. */
export interface Machine {
  date: string;
  cores: number;
  cpu: string;
  memoryGiB: number;
  os: string;
  node: string;
  /** 1-minute load average at the start: other work on the machine skews the figures. */
  loadAverage: number;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    return `${pretty?.[1] ?? os.type()} (${os.release()})`;
  } catch {
    return `${os.type()} ${os.release()}`;
  }
}

/** The machine this process runs on, at `now`. */
export function describeMachine(now: Date): Machine {
  return {
    date: now.toISOString(),
    cores: os.availableParallelism(),
    cpu: cpuModel(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: osName(),
    node: process.version,
    loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}
