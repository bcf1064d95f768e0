// Resolve hook (see refuse-ui-imports.mjs): React and Ink may not be loaded.
export async function resolve(specifier, context, nextResolve) {
  if (/^(ink|react)(\/|$)/.test(specifier)) {
    throw new Error(`refused import of '${specifier}' (this command must not load React or Ink)`);
  }
  return nextResolve(specifier, context);
}
