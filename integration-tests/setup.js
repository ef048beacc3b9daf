// Shared by every suite: the tests' encryption key (never a real one) and quiet Medusa logs.
process.env.LINE_GIFT_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64")
process.env.TZ ??= "UTC"
process.env.LOG_LEVEL ??= "error"
