/**
 * A small network of machines for tests across hosts, made of Linux network namespaces (`ip netns`): a hub
 * namespace holding a bridge, and one namespace per host, each joined to the bridge by a veth pair and given
 * its own address on a /24. The test process itself (the root namespace) joins the bridge too, at `.1`, so
 * it reaches every host and plays the coordinator. The bridge lives in the hub namespace, whose firewall is
 * empty: the root namespace's rules (Docker's FORWARD DROP, say) never see the hosts' traffic.
 *
 * `cut(host)` sets the host's link down at the hub: its packets are dropped from then on, its connections
 * hang as they would on a pulled cable (no reset), until `restore(host)`. `destroy()` removes everything.
 * Needs root (CAP_NET_ADMIN) and the `ip` tool: {@link netnsSkip} says why a test cannot run where they are
 * missing.
 * @module
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";

const IP = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].find(
  (p) => spawnSync(p, ["-V"], { stdio: "ignore" }).status === 0,
);

function ip(...args: string[]): void {
  execFileSync(IP!, args, { stdio: ["ignore", "ignore", "pipe"] });
}

/** Why namespaces cannot be made here, or false when they can (tried once: a namespace made and removed). */
export const netnsSkip: string | false = (() => {
  if (IP === undefined) return "the ip tool (iproute2) is not installed";
  const probe = `strata-probe-${process.pid}`;
  const made = spawnSync(IP, ["netns", "add", probe], { encoding: "utf8" });
  if (made.status !== 0)
    return `network namespaces cannot be made here (ip netns add: ${made.stderr.trim() || `exit ${made.status}`}); they need root or CAP_NET_ADMIN`;
  spawnSync(IP, ["netns", "del", probe]);
  return false;
})();

export interface NetLab {
  /** The address of a host, or of the coordinator (the test process) for "coordinator". */
  address(host: string): string;
  /** Spawns `command args` inside the host's namespace (its environment: this process's plus `env`). */
  spawn(host: string, command: string, args: readonly string[], env?: Record<string, string>): ChildProcess;
  /** The prefix that runs a command in the host's namespace (`ip netns exec <ns>`). */
  under(host: string): readonly string[];
  /** Takes the host's link down at the hub: a pulled cable. */
  cut(host: string): void;
  restore(host: string): void;
  destroy(): void;
}

/**
 * Makes the network: a hub with a bridge, the coordinator (this process) at x.x.x.1, and `hosts` at .2, .3, …
 * in their order.
 */
export function makeNetLab(hosts: readonly string[]): NetLab {
  const tag = `st${process.pid % 100_000}`;
  const subnet = `10.${200 + (process.pid % 50)}.${(process.pid >> 6) % 250}`;
  const hub = `${tag}-hub`;
  const nsOf = (host: string) => `${tag}-${host}`;
  const addresses = new Map<string, string>([["coordinator", `${subnet}.1`]]);
  for (const [i, h] of hosts.entries()) addresses.set(h, `${subnet}.${i + 2}`);
  const hubSide = (i: number) => `${tag}h${i}`;
  const made: string[] = [];
  const destroy = () => {
    for (const ns of made.reverse()) spawnSync(IP!, ["netns", "del", ns]);
    spawnSync(IP!, ["link", "del", `${tag}r`]);
  };
  try {
    ip("netns", "add", hub);
    made.push(hub);
    ip("-n", hub, "link", "add", "br0", "type", "bridge");
    ip("-n", hub, "link", "set", "br0", "up");
    // The coordinator: a veth from the root namespace to the bridge.
    ip("link", "add", `${tag}r`, "type", "veth", "peer", "name", `${tag}rh`);
    ip("link", "set", `${tag}rh`, "netns", hub);
    ip("-n", hub, "link", "set", `${tag}rh`, "master", "br0", "up");
    ip("addr", "add", `${addresses.get("coordinator")}/24`, "dev", `${tag}r`);
    ip("link", "set", `${tag}r`, "up");
    hosts.forEach((host, i) => {
      const ns = nsOf(host);
      ip("netns", "add", ns);
      made.push(ns);
      ip("-n", ns, "link", "set", "lo", "up");
      ip("-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", hubSide(i));
      ip("-n", ns, "link", "set", hubSide(i), "netns", hub);
      ip("-n", hub, "link", "set", hubSide(i), "master", "br0", "up");
      ip("-n", ns, "addr", "add", `${addresses.get(host)}/24`, "dev", "eth0");
      ip("-n", ns, "link", "set", "eth0", "up");
    });
  } catch (error) {
    destroy();
    throw error;
  }
  const indexOf = (host: string) => {
    const i = hosts.indexOf(host);
    if (i < 0) throw new Error(`no host ${host}`);
    return i;
  };
  return {
    address: (host) => addresses.get(host)!,
    under: (host) => [IP!, "netns", "exec", nsOf(host)],
    spawn(host, command, args, env = {}) {
      return spawn(IP!, ["netns", "exec", nsOf(host), command, ...args], {
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
    },
    cut: (host) => ip("-n", hub, "link", "set", hubSide(indexOf(host)), "down"),
    restore: (host) => ip("-n", hub, "link", "set", hubSide(indexOf(host)), "up"),
    destroy,
  };
}
