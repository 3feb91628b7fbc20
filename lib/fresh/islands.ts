/**
 * Server side of islands: marks island components during rendering, collects
 * their props and produces the boot script.
 *
 * An island rendered outside another island is wrapped in
 * `<fresh-island data-island="NAME" data-props="N">`
 * (Fresh uses comment markers; a custom element styled `display:contents` by
 * the boot `<style>` keeps the layout identical and is simpler to find). Its props are serialized with
 * `devalue` (Date, Map, Set, URL, BigInt, RegExp, cycles, and Preact signals
 * through a reducer); a function prop is an error, as in Fresh.
 */
import { type ComponentType, h, options, type VNode } from "preact";
import { stringify } from "devalue";
import { Signal } from "@preact/signals";

/** Registered island components → their export name. */
const islandNames = new Map<ComponentType<any>, string>();

/** Registers every function export of an island module under `name` (default) or `name_export`. */
export function registerIsland(name: string, mod: Record<string, unknown>): void {
  for (const [exp, value] of Object.entries(mod)) {
    if (typeof value !== "function") continue;
    islandNames.set(value as ComponentType<any>, exp === "default" ? name : `${name}_${exp}`);
  }
}

/** Island names, for tests. */
export function registeredIslands(): string[] {
  return [...islandNames.values()];
}

/** What one render collected: island names used and their props. */
export interface IslandCollector {
  used: Set<string>;
  props: unknown[];
  depth: number;
}

let active: IslandCollector | null = null;
/** Set while IslandWrapper creates the real island vnode, so the hook does not re-wrap it. */
let bypass = false;

function plain(fn: ComponentType<any>, props: Record<string, unknown>): VNode {
  bypass = true;
  try {
    return h(fn, props);
  } finally {
    bypass = false;
  }
}

function IslandWrapper(
  p: { __island: { name: string; fn: ComponentType<any>; props: Record<string, unknown> } },
): VNode {
  const { name, fn, props } = p.__island;
  const c = active;
  if (!c || c.depth > 0) return plain(fn, props);
  c.depth++;
  (p.__island as { counted?: boolean }).counted = true;
  const { children: _children, ...serializable } = props;
  const idx = c.props.push(serializable) - 1;
  c.used.add(name);
  return h(
    "fresh-island" as string,
    { "data-island": name, "data-props": String(idx) } as Record<string, string>,
    plain(fn, serializable),
  ) as VNode;
}

const prevVnode = options.vnode;
options.vnode = (vnode: VNode<any>) => {
  if (active && !bypass && typeof vnode.type === "function" && vnode.type !== IslandWrapper) {
    const name = islandNames.get(vnode.type as ComponentType<any>);
    if (name) {
      const fn = vnode.type;
      const props = vnode.props;
      (vnode as any).type = IslandWrapper;
      (vnode as any).props = { __island: { name, fn, props } };
    }
  }
  prevVnode?.(vnode);
};
const prevDiffed = options.diffed;
options.diffed = (vnode: VNode<any>) => {
  if (active && vnode.type === IslandWrapper && active.depth > 0) {
    // The outermost island wrapper finished rendering its subtree.
    if ((vnode.props as any).__island?.counted) active.depth--;
  }
  prevDiffed?.(vnode);
};

/**
 * Runs `render` with island collection active. Rendering is synchronous, so
 * one module-level collector is safe.
 */
export function withIslands<T>(render: () => T): { result: T; islands: IslandCollector } {
  const prev = active;
  const c: IslandCollector = { used: new Set(), props: [], depth: 0 };
  active = c;
  try {
    return { result: render(), islands: c };
  } finally {
    active = prev;
  }
}

/** Error thrown when island props cannot be serialized (e.g. a function). */
export class IslandPropsError extends Error {}

/**
 * Serializes collected island props with devalue. Signals become `["Signal", value]`.
 * @throws IslandPropsError naming the island when a prop is a function or otherwise unserializable.
 */
export function serializeProps(props: unknown[]): string {
  try {
    return stringify(props, {
      Signal: (v: unknown) => v instanceof Signal && [v.peek()],
    });
  } catch (err) {
    throw new IslandPropsError(`Island props are not serializable: ${(err as Error).message}`);
  }
}

/** Escapes JSON for embedding in a `<script type="application/json">`. */
export function escapeScriptJson(s: string): string {
  return s.replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
