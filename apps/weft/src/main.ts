#!/usr/bin/env node
console.log("weft");
