/**
 * Form fields of the accounts pages (registration, sign-in family, profile,
 * admin user forms), server-rendered. Each fixes its field `name`, input type
 * and limits (handlers and browser tests rely on them); the page gives the
 * label and the rest. `t` is the plain translator: field errors are
 * translated with `fieldT(t)` (age-range placeholders filled).
 */
import type { ComponentProps } from "preact";
import { Field, SelectField } from "@/components/ui.tsx";
import { fieldT } from "@/lib/auth/web.ts";

/** Props of an input field whose `name` (and type) the component sets. */
type InputProps = Omit<ComponentProps<typeof Field>, "name" | "type">;
/** Props of a select whose `name` and options the component sets. */
type SelectProps = Omit<ComponentProps<typeof SelectField>, "name" | "options">;

/** `name`: a person's full name. */
export function NameField(props: InputProps) {
  return <Field name="name" maxLength={100} {...props} t={fieldT(props.t)} />;
}

/** `email`: an e-mail address. */
export function EmailField(props: InputProps) {
  return <Field name="email" type="email" maxLength={254} {...props} t={fieldT(props.t)} />;
}

/** `phone`: a phone number. */
export function PhoneField(props: InputProps) {
  return <Field name="phone" type="tel" maxLength={40} {...props} t={fieldT(props.t)} />;
}

/** `gender`: "Choose…", female, male. */
export function GenderField(props: SelectProps) {
  const t = props.t;
  return (
    <SelectField
      name="gender"
      options={[["", t("register.gender_choose")], ["female", t("gender.female")], ["male", t("gender.male")]]}
      {...props}
      t={fieldT(t)}
    />
  );
}

/** `birthDate`: a date input. */
export function BirthDateField(props: InputProps) {
  return <Field name="birthDate" type="date" autocomplete="bday" {...props} t={fieldT(props.t)} />;
}

/** `lang`: the interface language. */
export function LangField(props: SelectProps) {
  return (
    <SelectField name="lang" options={[["id", "Bahasa Indonesia"], ["en", "English"]]} {...props} t={fieldT(props.t)} />
  );
}

/** `code`: the 6-digit code sent by e-mail (required). */
export function CodeField(props: InputProps) {
  return (
    <Field
      name="code"
      inputmode="numeric"
      autocomplete="one-time-code"
      maxLength={6}
      required
      {...props}
      t={fieldT(props.t)}
    />
  );
}

/**
 * A new password (`name`, default `password`, with the password-rules hint)
 * and, when `confirmLabel` is given, its repetition `confirm`.
 */
export function NewPasswordFields(
  { t, errors, name = "password", label, confirmLabel }: {
    t: InputProps["t"];
    errors: InputProps["errors"];
    name?: string;
    label: string;
    confirmLabel?: string;
  },
) {
  const ft = fieldT(t);
  return (
    <>
      <Field
        name={name}
        type="password"
        label={label}
        t={ft}
        errors={errors}
        autocomplete="new-password"
        hint={t("auth.password.hint")}
        required
      />
      {confirmLabel
        ? (
          <Field
            name="confirm"
            type="password"
            label={confirmLabel}
            t={ft}
            errors={errors}
            autocomplete="new-password"
            required
          />
        )
        : null}
    </>
  );
}
