// Prints the configuration reference table for the README, from src/config/reference.ts.
import { renderReference } from "../src/config/reference.ts";

console.log(renderReference());
