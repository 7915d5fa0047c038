/**
 * A UI sentence as `t()` renders it: every interpolated value inside FSI…PDI isolates (Unicode UAX #9).
 * isolated`${"ann"} is typing…` === "\u2068ann\u2069 is typing…".
 */
export const isolated = (parts: TemplateStringsArray, ...values: string[]): string =>
  parts.reduce((out, part, i) => out + part + (i < values.length ? `\u2068${values[i]}\u2069` : ""), "");
