import { describe, expect, it } from "vitest";
import { createGatehouseClient, errorCodeOf } from "../src/index.ts";

function recordingFetch(answer: () => Response) {
  const requests: Request[] = [];
  const fetch = async (input: Request) => {
    requests.push(input);
    return answer();
  };
  return { requests, fetch };
}

const settings = {
  enabled: true,
  realms: ["user"],
  codeLength: 6,
  ttlSeconds: 600,
  resendCooldownSeconds: 60,
  captchaRequiredAfterFailures: 5,
};

describe("createGatehouseClient", () => {
  it("calls the typed path with the realm cookies allowed and parses the JSON answer", async () => {
    const { requests, fetch } = recordingFetch(() => Response.json(settings));
    const client = createGatehouseClient({ baseUrl: "http://gatehouse.test", fetch });
    const { data, error } = await client.GET("/api/public/otp-settings");
    expect(error).toBeUndefined();
    expect(data?.realms).toEqual(["user"]);
    expect(requests[0]?.url).toBe("http://gatehouse.test/api/public/otp-settings");
    expect(requests[0]?.credentials).toBe("same-origin");
  });

  it("fills path parameters and returns the error body of a failure", async () => {
    const body = { error: { code: "not_found", message: "Nothing is here." } };
    const { requests, fetch } = recordingFetch(() => Response.json(body, { status: 404 }));
    const client = createGatehouseClient({ baseUrl: "http://gatehouse.test", fetch });
    const { error, response } = await client.DELETE("/api/user/sessions/{id}", { params: { path: { id: "abc" } } });
    expect(response.status).toBe(404);
    expect(errorCodeOf(error)).toBe("not_found");
    expect(requests[0]?.method).toBe("DELETE");
    expect(requests[0]?.url).toBe("http://gatehouse.test/api/user/sessions/abc");
  });

  it("reads no code from bodies that are not catalogued errors", () => {
    expect(errorCodeOf(undefined)).toBeUndefined();
    expect(errorCodeOf({ error: "x" })).toBeUndefined();
    expect(errorCodeOf({ error: { code: "csrf_token_invalid" } })).toBe("csrf_token_invalid");
  });
});
