/**
 * The sandbox's HTML: the OAuth consent page (許可する / 拒否する) and the error page for a bad
 * authorization request, in Japanese with English subtitles.
 */
import { escapeHtml, type Reply } from "./http"
import { SANDBOX_DEFAULT_CLIENT } from "./types"

/** The HTML page shell (Japanese, with English subtitles). */
function page(title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: "Hiragino Sans", "Noto Sans JP", system-ui, sans-serif; background: #f5f6f7; color: #1e1e1e; margin: 0; }
  main { max-width: 34rem; margin: 3rem auto; background: #fff; border-radius: 12px; padding: 2rem; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
  h1 { font-size: 1.25rem; margin: 0 0 .25rem; }
  .en { color: #666; font-size: .85rem; margin: 0 0 1rem; }
  .badge { display: inline-block; background: #fff4d6; color: #7a5200; border-radius: 4px; padding: .15rem .5rem; font-size: .8rem; margin-bottom: 1rem; }
  dl { background: #f5f6f7; border-radius: 8px; padding: .75rem 1rem; }
  dt { font-size: .8rem; color: #666; } dd { margin: 0 0 .5rem; word-break: break-all; }
  .buttons { display: flex; gap: .75rem; margin-top: 1.5rem; }
  button { flex: 1; border: 0; border-radius: 8px; padding: .8rem; font-size: 1rem; cursor: pointer; }
  button small { display: block; font-size: .75rem; opacity: .85; }
  #approve { background: #06c755; color: #fff; } #deny { background: #e9ebee; color: #1e1e1e; }
  .note { font-size: .8rem; color: #666; margin-top: 1.5rem; }
  .error { color: #b00020; }
</style>
</head>
<body>
<main>
<span class="badge">ローカル サンドボックス / Local sandbox</span>
${bodyHtml}
<p class="note">これはローカルのサンドボックス (テスト用の模擬サーバー) です。本物のLINEギフトやLINEアカウントには接続していません。<br>
<span class="en">This is a local sandbox (a stand-in server for tests and demos). It is not connected to the real LINE Gift or to any LINE account.</span></p>
</main>
</body>
</html>
`
}

/** The HTTP 400 page listing what is wrong with an authorization request. */
export function errorPage(problems: string[]): Reply {
  const items = problems.map((p) => `<li>${escapeHtml(p)}</li>`).join("\n")
  return {
    type: "html",
    status: 400,
    html: page(
      "LINEギフト サンドボックス — リクエストエラー",
      `<h1 class="error">リクエストが正しくありません</h1>
<p class="en">Bad request: this authorization request cannot be processed.</p>
<ul>
${items}
</ul>
<p>連携元のアプリの設定 (client_id と Redirect URI) を確認してください。<br>
<span class="en">Check the connecting app's settings (client_id and redirect URI). Sandbox client: <code>${escapeHtml(SANDBOX_DEFAULT_CLIENT.clientId)}</code>.</span></p>`
    ),
  }
}

/** The fields of an authorization request the consent page carries on (as hidden inputs). */
export type AuthorizeRequest = {
  clientId: string
  redirectUri: string
  state: string
  responseType: string
}

/** The consent page: shows the app and redirect URI, posts the decision back to /oauth2/authorize. */
export function consentPage({
  clientId,
  redirectUri,
  state,
  responseType,
}: AuthorizeRequest): Reply {
  const hidden = (name: string, value: string) =>
    `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`
  return {
    type: "html",
    status: 200,
    html: page(
      "LINEギフト サンドボックス — アプリ連携の承認",
      `<h1>LINEギフト サンドボックス — アプリ連携の承認</h1>
<p class="en">LINE Gift sandbox — Authorize app connection</p>
<p>次のアプリが、あなたのショップの注文情報の取得と発送情報の登録を求めています。<br>
<span class="en">The app below asks to read your shop's orders and to register shipments.</span></p>
<dl>
<dt>アプリ (Client ID)</dt><dd><code id="client-id">${escapeHtml(clientId)}</code></dd>
<dt>連携後の戻り先 (Redirect URI)</dt><dd><code>${escapeHtml(redirectUri)}</code></dd>
</dl>
<form method="post" action="/oauth2/authorize">
${hidden("client_id", clientId)}
${hidden("redirect_uri", redirectUri)}
${hidden("state", state)}
${hidden("response_type", responseType)}
<div class="buttons">
<button type="submit" name="decision" value="approve" id="approve">許可する<small>Approve</small></button>
<button type="submit" name="decision" value="deny" id="deny">拒否する<small>Deny</small></button>
</div>
</form>`
    ),
  }
}
