/**
 * Closing behaviour for the header's two `<details>` menus (docs/ui.md, "Header and menu"):
 * the phone/tablet menu (`details.site-menu`) and the laptop "Lainnya / More" drop-down
 * (`details.nav-more`). The disclosures open and close by click, Enter and Space without
 * JavaScript; this island adds what `<details>` lacks for a drop-down:
 *
 * - Escape closes the innermost open menu and puts focus back on its summary (so keyboard
 *   users stay where they were);
 * - a click or tap outside an open menu closes it;
 * - tabbing out of the open "More" list closes it, so it never covers the page behind focus.
 *
 * Renders nothing; the listeners sit on `document` and are removed on unmount. Rendered
 * only for signed-in users (pages for anonymous visitors ship no JavaScript).
 */
import { useEffect } from "preact/hooks";

/** The header menus, innermost first (the drop-down sits inside the site menu). */
const MENUS = ".site-header details.nav-more, .site-header details.site-menu";

function openMenus(): HTMLDetailsElement[] {
  return Array.from(document.querySelectorAll<HTMLDetailsElement>(MENUS)).filter((d) => d.open)
    // Innermost first: a menu that contains another open one comes after it.
    .sort((a, b) => (a.contains(b) ? 1 : b.contains(a) ? -1 : 0));
}

export default function HeaderMenus() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented) return;
      const menu = openMenus()[0];
      if (!menu) return;
      menu.open = false;
      menu.querySelector<HTMLElement>(":scope > summary")?.focus();
      e.preventDefault();
    };
    const onClick = (e: MouseEvent) => {
      const target = e.target as Node | null;
      for (const menu of openMenus()) {
        if (!target || !menu.contains(target)) menu.open = false;
      }
    };
    const onFocusOut = (e: FocusEvent) => {
      const menu = (e.target as Element | null)?.closest?.("details.nav-more") as HTMLDetailsElement | null;
      const next = e.relatedTarget as Node | null;
      if (menu?.open && next && !menu.contains(next)) menu.open = false;
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", onClick);
    document.addEventListener("focusout", onFocusOut);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("click", onClick);
      document.removeEventListener("focusout", onFocusOut);
    };
  }, []);
  return null;
}
