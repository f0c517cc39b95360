// Reading what the server (or a settings file) sent: JSON of a shape nobody has checked yet.

/** A JSON object (not null, not an array), whose fields can then be read one by one. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
