/** The value under (outer, inner) in a two-level map, created and stored when it is not there yet. */
export function getOrCreateNested<V>(
  map: Map<string, Map<string, V>>,
  outer: string,
  inner: string,
  create: () => V,
): V {
  let values = map.get(outer);
  if (values === undefined) {
    values = new Map();
    map.set(outer, values);
  }
  let value = values.get(inner);
  if (value === undefined) {
    value = create();
    values.set(inner, value);
  }
  return value;
}
