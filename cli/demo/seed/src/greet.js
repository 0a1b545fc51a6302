export function greet(name) {
  let text = `Hello, ${name}!`;
  // (style)
  return text;
}
