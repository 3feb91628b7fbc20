/**
 * The guest's fields of the front-desk forms (server-rendered): name, phone,
 * e-mail and, on the forms that register a visit, the purpose. Used by the
 * teacher's new-appointment form, the walk-in form and the guest edit form;
 * the first two read the submitted fields with `visitValues`.
 */
import type { T } from "@/lib/i18n/mod.ts";
import { Field, type FieldErrors, TextAreaField } from "@/components/ui.tsx";

/** i18n keys of the labels and hints (`purpose` is used by the `visit` variant only). */
export interface GuestFieldLabels {
  name: string;
  phone: string;
  email: string;
  purpose: string;
  phoneHint?: string;
  emailHint?: string;
}

/** Labels of the teacher's appointment form and the guest edit form. */
export const GUEST_FORM_LABELS = {
  name: "fd.form.guest_name",
  phone: "fd.form.guest_phone",
  email: "fd.form.guest_email",
  purpose: "fd.form.purpose",
  phoneHint: "fd.form.guest_phone_hint",
  emailHint: "fd.form.guest_email_hint",
} satisfies GuestFieldLabels;

/** The shorter labels of the walk-in form (as in the scanner's inline form). */
export const WALK_IN_LABELS = {
  name: "fd.walkin.guest_name",
  phone: "fd.walkin.guest_phone",
  email: "fd.walkin.guest_email",
  purpose: "fd.walkin.purpose",
} satisfies GuestFieldLabels;

/** The fields of a form that registers a visit (as submitted or re-shown). */
export interface VisitValues {
  guestName: string;
  guestPhone: string;
  guestEmail: string;
  purpose: string;
}

/** A submitted form value as text: a string (at most 1000 characters) or "". */
export function formText(v: unknown): string {
  return typeof v === "string" ? v.slice(0, 1000) : "";
}

/** The guest fields of a submitted visit form. */
export function visitValues(body: Record<string, unknown>): VisitValues {
  return {
    guestName: formText(body.guestName),
    guestPhone: formText(body.guestPhone),
    guestEmail: formText(body.guestEmail),
    purpose: formText(body.purpose),
  };
}

interface Common {
  t: T;
  errors: FieldErrors;
  labels: GuestFieldLabels;
}

/**
 * `visit`: a visit is registered (fields `guestName`, `guestPhone`,
 * `guestEmail`, `purpose`; phone and e-mail side by side). `edit`: the guest
 * record itself (fields `name`, `phone`, `email`, one under the other).
 */
export type GuestFieldsProps =
  & Common
  & (
    | { variant: "visit"; values: VisitValues }
    | { variant: "edit"; values: { name: string; phone: string; email: string } }
  );

/** The guest's fields with their inline errors. */
export function GuestFields(props: GuestFieldsProps) {
  const { t, errors, labels } = props;
  const visit = props.variant === "visit";
  const [name, phone, email] = props.variant === "visit"
    ? [props.values.guestName, props.values.guestPhone, props.values.guestEmail]
    : [props.values.name, props.values.phone, props.values.email];
  const phoneField = (
    <Field
      name={visit ? "guestPhone" : "phone"}
      label={t(labels.phone)}
      type="tel"
      inputmode="tel"
      t={t}
      errors={errors}
      value={phone}
      required
      maxLength={40}
      autocomplete="off"
      hint={labels.phoneHint ? t(labels.phoneHint) : undefined}
      placeholder={visit ? "0812-3456-7890" : undefined}
    />
  );
  const emailField = (
    <Field
      name={visit ? "guestEmail" : "email"}
      label={t(labels.email)}
      type="email"
      t={t}
      errors={errors}
      value={email}
      maxLength={254}
      autocomplete="off"
      hint={labels.emailHint ? t(labels.emailHint) : undefined}
    />
  );
  return (
    <>
      <Field
        name={visit ? "guestName" : "name"}
        label={t(labels.name)}
        t={t}
        errors={errors}
        value={name}
        required
        maxLength={100}
        autocomplete="off"
      />
      {visit
        ? (
          <div class="form-row">
            {phoneField}
            {emailField}
          </div>
        )
        : (
          <>
            {phoneField}
            {emailField}
          </>
        )}
      {props.variant === "visit"
        ? (
          <TextAreaField
            name="purpose"
            label={t(labels.purpose)}
            t={t}
            errors={errors}
            value={props.values.purpose}
            required
            rows={2}
            maxLength={500}
          />
        )
        : null}
    </>
  );
}
