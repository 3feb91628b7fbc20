/**
 * A role's home page: the welcome title, a subtitle, a grid of cards (each a
 * title and a body, marked "coming soon") and an optional notice below.
 */
import type { T } from "@/lib/i18n/mod.ts";
import { Badge, Card, PageHeader } from "./ui.tsx";

/** `[titleKey, bodyKey]` of each card (i18n keys). */
export type HomeCard = [string, string];

export function HomeCards(
  { t, title, subtitle, cards, notice }: {
    t: T;
    title: string;
    subtitle: string;
    cards: readonly HomeCard[];
    notice?: string;
  },
) {
  return (
    <>
      <PageHeader title={title} subtitle={subtitle} />
      <div class="grid-2">
        {cards.map(([cardTitle, body]) => (
          <Card title={t(cardTitle)}>
            <p>{t(body)}</p>
            <Badge tone="info">{t("common.coming_soon")}</Badge>
          </Card>
        ))}
      </div>
      {notice ? <p class="notice">{notice}</p> : null}
    </>
  );
}
