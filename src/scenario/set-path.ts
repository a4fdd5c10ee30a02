// `--set key=value`: the value is parsed as JSON when it is JSON (numbers, booleans, arrays), else
// kept as a string; a dotted key sets a nested field of the raw scenario. Only the scenario's own
// fields are walked (never inherited ones: `toString`, `__proto__`); resolve-scenario.ts refuses
// prototype keys before they get here.

export function parseSettingValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let obj = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = Object.hasOwn(obj, parts[i]) ? obj[parts[i]] : undefined;
    if (next === undefined || next === null) obj[parts[i]] = {};
    else if (typeof next !== 'object' || Array.isArray(next)) throw new Error(`"${parts.slice(0, i + 1).join('.')}" is not an object`);
    obj = obj[parts[i]] as Record<string, unknown>;
  }
  obj[parts[parts.length - 1]] = value;
}
