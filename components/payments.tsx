/** Shared pieces of the payment pages: the status badge and the method label. */
import type { T } from "@/lib/i18n/mod.ts";
import type { Payment, PaymentStatus } from "@/lib/payments/model.ts";
import { Badge } from "./ui.tsx";

const TONES: Record<PaymentStatus, "neutral" | "info" | "success" | "warning" | "danger"> = {
  pending: "warning",
  paid: "success",
  failed: "danger",
  expired: "neutral",
  refunded: "info",
};

/** A payment's status as a coloured badge. */
export function PaymentBadge({ status, t }: { status: PaymentStatus; t: T }) {
  return <Badge tone={TONES[status]}>{t(`pay.status.${status}`)}</Badge>;
}

/** The payment method in words (`BCA` added for a bank transfer). */
export function methodLabel(p: Pick<Payment, "method" | "bank">, t: T): string {
  if (!p.method) return t("pay.method.none");
  const known = ["bank_transfer", "echannel", "gopay", "qris", "credit_card"].includes(p.method);
  const name = known ? t(`pay.method.${p.method}`) : p.method;
  return p.method === "bank_transfer" && p.bank ? `${name} ${p.bank.toUpperCase()}` : name;
}
