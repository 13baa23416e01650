/** Where this Next.js app asks Gatehouse, and which realm it serves. */
export const gatehouse = {
  gatehouseUrl: process.env.GATEHOUSE_URL ?? "http://127.0.0.1:3000",
  realm: "user",
} as const;
