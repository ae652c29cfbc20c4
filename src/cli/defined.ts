/** The object without its undefined properties: options left out stay absent, as exactOptionalPropertyTypes asks. */
export function definedOnly<Input extends object>(
  input: Input,
): { [Key in keyof Input]?: Exclude<Input[Key], undefined> } {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as {
    [Key in keyof Input]?: Exclude<Input[Key], undefined>;
  };
}
