/**
 * The error body every JSON endpoint returns (`lib/http/errors.ts`), as an
 * OpenAPI 3.1 schema. One definition, referenced by every fragment.
 */
export const ERROR_SCHEMA = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", description: "stable machine-readable code" },
        message: { type: "string", description: "translated human message (Accept-Language / lang cookie)" },
        fields: { type: "object", additionalProperties: { type: "string" }, description: "field → translated message" },
      },
    },
  },
} as const;
