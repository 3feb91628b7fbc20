/**
 * A role's home page: the welcome title, a subtitle, a grid of cards (each a
 * title, a body and a link to the area, or "coming soon" for an area without
 * one yet), optional content between the header and the cards, and an
 * optional notice below.
 */
import type { ComponentChildren } from "preact";
import type { T } from "@/lib/i18n/mod.ts";
import { Badge, Card, PageHeader } from "./ui.tsx";

/** `[titleKey, bodyKey, href?]` of each card (i18n keys); without `href` the card says "coming soon". */
export type HomeCard = [string, string, string?];

export function HomeCards(
  { t, title, subtitle, cards, notice, children }: {
    t: T;
    title: string;
    subtitle: string;
    cards: readonly HomeCard[];
    notice?: string;
    children?: ComponentChildren;
  },
) {
  return (
    <>
      <PageHeader title={title} subtitle={subtitle} />
      {children}
      <div class="grid-2">
        {cards.map(([cardTitle, body, href]) => (
          <Card title={t(cardTitle)} key={cardTitle}>
            <p>{t(body)}</p>
            {href
              ? <a class="btn btn-secondary" href={href}>{t("common.open")}</a>
              : <Badge tone="info">{t("common.coming_soon")}</Badge>}
          </Card>
        ))}
      </div>
      {notice ? <p class="notice">{notice}</p> : null}
    </>
  );
}
