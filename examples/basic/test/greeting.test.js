// Runs with Node alone: node --test test/greeting.test.js
const test = require("node:test");
const assert = require("node:assert/strict");
const { greet, farewell } = require("../src/greeting.js");

test("greet names the person", () => {
  assert.equal(greet("Ada"), "Hello, Ada!");
});

test("greet falls back to the world", () => {
  assert.equal(greet(""), "Hello, world!");
  assert.equal(greet(undefined), "Hello, world!");
});

test("farewell names the person", () => {
  assert.equal(farewell("  Grace "), "Goodbye, Grace.");
});
