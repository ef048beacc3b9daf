/**
 * Pure parts of saving a shop's LINE Gift app: when a client_id names another app (the old
 * app's tokens are then deleted), and which fields of a settings body are the app's.
 */
import {
  clientIdChanges,
  splitAppInput,
} from "../../src/modules/line-gift/service"

describe("clientIdChanges", () => {
  it("another client_id, a cleared one, or a first one is a change", () => {
    expect(clientIdChanges("app-1", "app-2")).toBe(true)
    expect(clientIdChanges("app-1", null)).toBe(true)
    expect(clientIdChanges("app-1", "")).toBe(true)
    expect(clientIdChanges(null, "app-1")).toBe(true)
  })

  it("the same client_id is no change: compared trimmed, null and empty alike, absent = not sent", () => {
    expect(clientIdChanges("app-1", "app-1")).toBe(false)
    expect(clientIdChanges("app-1", "  app-1 \t")).toBe(false)
    expect(clientIdChanges(" app-1\n", "app-1")).toBe(false)
    expect(clientIdChanges(null, "")).toBe(false)
    expect(clientIdChanges("", null)).toBe(false)
    expect(clientIdChanges(null, "   ")).toBe(false)
    expect(clientIdChanges("app-1", undefined)).toBe(false)
  })
})

describe("splitAppInput", () => {
  it("takes client_id and the secret (plain or sealed) apart from the other settings, only those sent", () => {
    expect(
      splitAppInput({
        name: "本店",
        client_id: "app-1",
        client_secret_encrypted: "v1:sealed",
        fetch_days: 7,
      })
    ).toEqual({
      settings: { name: "本店", fetch_days: 7 },
      app: { client_id: "app-1", client_secret_encrypted: "v1:sealed" },
    })
    expect(splitAppInput({ client_id: null, client_secret: null })).toEqual({
      settings: {},
      app: { client_id: null, client_secret: null },
    })
    expect(splitAppInput({ auto_export: false })).toEqual({
      settings: { auto_export: false },
      app: {},
    })
  })
})
