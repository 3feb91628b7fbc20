/**
 * Browser boot runtime: finds `<fresh-island>` elements and hydrates each with
 * its component and deserialized props. Bundled as `boot.js`.
 */
import { type ComponentType, h, hydrate } from "preact";
import { parse } from "devalue";
import { signal } from "@preact/signals";

/** Hydrates every island on the page. `islands` maps island names to components. */
export function boot(islands: Record<string, ComponentType<any>>): void {
  const el = document.getElementById("__FRSH_STATE");
  const props = el?.textContent ? parse(el.textContent, { Signal: ([v]: [unknown]) => signal(v) }) as unknown[] : [];
  for (const node of Array.from(document.querySelectorAll("fresh-island"))) {
    if (node.parentElement?.closest("fresh-island")) continue;
    const name = node.getAttribute("data-island") ?? "";
    const comp = islands[name];
    if (!comp) continue;
    const p = (props[Number(node.getAttribute("data-props"))] ?? {}) as Record<string, unknown>;
    hydrate(h(comp, p), node);
  }
}
