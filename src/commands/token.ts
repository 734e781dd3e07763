// `hwm token`: print a new random token for --token, HWM_TOKEN or token_file.
import { defineCommand } from "citty";
import { generateToken } from "../config/index.ts";

export default defineCommand({
  meta: {
    name: "token",
    description: "Print a new random token (32 random bytes, base64url) to share between nodes.",
  },
  run() {
    console.log(generateToken());
  },
});
