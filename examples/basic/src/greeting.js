function greet(name) {
  const who = typeof name === "string" && name.trim() !== "" ? name.trim() : "world";
  return `Hello, ${who}!`;
}

function farewell(name) {
  const who = typeof name === "string" && name.trim() !== "" ? name.trim() : "world";
  return `Goodbye, ${who}.`;
}

module.exports = { greet, farewell };
