// Context helpers shared by the SDKs whose contexts are flat string maps.

/** `{app: {version: '2.4.1'}, beta: true}` → `{'app.version': '2.4.1', beta: 'true'}`. */
export function flattenToStrings(value, prefix = '', into = {}) {
  for (const [key, inner] of Object.entries(value)) {
    if (inner !== null && typeof inner === 'object') flattenToStrings(inner, `${prefix}${key}.`, into);
    else into[`${prefix}${key}`] = String(inner);
  }
  return into;
}
