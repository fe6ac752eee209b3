"""Sending through an outlook session under Wine (issue 26): the test sibling's Send and Reply go
through Outlook's object model to the stand-in (tests/peers/outlook/standin_send.cpp), which files
the sent item in Sent Items (none with DeleteAfterSubmit) and writes what it would hand to its
transport, one JSON line per message, to the file RPA_OUTLOOK_STANDIN_OUTBOX names. The checks
read both: the item the sibling lists in Sent Items, and the outbox line with the recipients, the
blind copies, Reply-To, importance, the threading fields, and every attachment byte for byte.
"""
import json
import os

from wine_checks import check, windows_path


def check_sending(run_bot, connect, failed_with, top):
    outbox = os.path.join(top, "outbox.jsonl")
    if os.path.exists(outbox):
        os.remove(outbox)
    report = "%PDF-1.4\n".encode() + bytes(range(256)) * 40 + b"\n%%EOF\n"
    logo = b"\x89PNG\r\n\x1a\n" + bytes(range(200))
    report_path, logo_path = os.path.join(top, "月次報告.pdf"), os.path.join(top, "logo.png")
    with open(report_path, "wb") as file:
        file.write(report)
    with open(logo_path, "wb") as file:
        file.write(logo)

    def step(action, **properties):
        return {"action": action, "properties": dict(session_name="outlook", **properties)}

    listed, _ = run_bot("send-refs", [connect(), step("Sibling.ListMessages", subject_contains="Quarterly")])
    quarterly = (listed[1].get("result", {}).get("messages") or [{}])[0].get("ref", "") if len(listed) == 2 else ""
    check(quarterly.startswith("outlook:"), f"the message to reply to is found: {quarterly!r}")

    full = {"to": "山田 <yamada@example.co.jp>", "cc": "bob@example.com", "bcc": "audit@contoso.test",
            "reply_to": "desk@contoso.test", "subject": "月次報告 send-check", "text": "報告書を添付します。",
            "html": "<p>報告書を添付します。<img src=\"cid:logo\"></p>", "importance": "high",
            "attachments": [{"path": windows_path(report_path)},
                            {"path": windows_path(logo_path), "content_id": "logo"}]}
    results, _ = run_bot("send", [
        connect(),
        step("Sibling.Send", message=full),                                                        # 1
        step("Sibling.ListMessages", folder="sent", subject_contains="send-check"),                # 2
        step("Sibling.Send", message={"to": "yamada@example.co.jp", "subject": "no copy send-check2",
                                      "text": "x", "save_copy": "never"}),                         # 3
        step("Sibling.ListMessages", folder="sent", subject_contains="send-check2"),               # 4
        step("Sibling.Send", message={"from": "sales@contoso.test", "to": "yamada@example.co.jp",
                                      "subject": "on behalf send-check3", "text": "x"}),           # 5
        step("Sibling.Reply", ref=quarterly, message={"text": "承知しました。"}),                  # 6
        step("Sibling.ListMessages", subject_contains="Quarterly"),                                # 7
    ], RPA_OUTLOOK_STANDIN_OUTBOX=windows_path(outbox))
    if not check(len(results) == 8, f"the send bot ran its eight steps ({len(results)})"):
        return
    sent = results[1].get("result", {})
    check(results[1]["status"] == "ok" and sent.get("copy") == "server" and len(sent.get("accepted", [])) == 3,
          f"Send through Outlook: a copy kept by Outlook, three recipients accepted: {results[1]['message']}")
    check(results[2]["status"] == "ok" and [m["subject"] for m in results[2]["result"]["messages"]] == ["月次報告 send-check"],
          f"the sent item is in Sent Items: {results[2].get('message')}")
    check(results[3]["status"] == "ok" and results[3]["result"].get("copy") == "none",
          f"save_copy never: no copy {results[3]['message']}")
    check(results[4]["status"] == "ok" and results[4]["result"]["messages"] == [],
          "DeleteAfterSubmit leaves nothing in Sent Items")
    check(results[5]["status"] == "ok", "Send from another address " + results[5]["message"])
    check(results[6]["status"] == "ok" and results[6]["result"].get("original_marked"),
          "Reply through Outlook marks the original " + results[6]["message"])
    originals = [m for m in results[7].get("result", {}).get("messages", []) if m["subject"] == "Quarterly report"]
    check(len(originals) == 1 and originals[0].get("answered"),
          f"the original shows answered (PidTagLastVerbExecuted 102): {originals}")

    lines = [json.loads(line) for line in open(outbox, encoding="utf-8")] if os.path.exists(outbox) else []
    if not check(len(lines) == 4, f"the stand-in was handed four messages ({len(lines)})"):
        return
    first = lines[0]
    check(first["to"] == ["yamada@example.co.jp"] and first["cc"] == ["bob@example.com"]
          and first["bcc"] == ["audit@contoso.test"], f"To, CC and BCC: {first['to']} {first['cc']} {first['bcc']}")
    check(first["reply_to"] == ["desk@contoso.test"] and first["importance"] == 2,
          f"Reply-To and importance: {first['reply_to']} {first['importance']}")
    check(first["from"] == "alice@contoso.test" and first["subject"] == "月次報告 send-check",
          f"sent as the user, the subject decoded: {first['from']} {first['subject']}")
    check("cid:logo" in first["html"] and "報告書を添付します" in first["body"], "both bodies")
    check(first["message_id"] == sent.get("message_id"), f"the composed Message-ID: {first['message_id']}")
    attachments = {a["name"]: a for a in first["attachments"]}
    check(set(attachments) == {"月次報告.pdf", "logo.png"}, f"the attachments: {sorted(attachments)}")
    if "月次報告.pdf" in attachments and "logo.png" in attachments:
        check(bytes.fromhex(attachments["月次報告.pdf"]["hex"]) == report and attachments["月次報告.pdf"]["content_id"] == "",
              "the report byte for byte, an ordinary attachment")
        check(bytes.fromhex(attachments["logo.png"]["hex"]) == logo and attachments["logo.png"]["content_id"] == "logo",
              "the inline image byte for byte, with its Content-ID")
    check(lines[1]["delete_after_submit"] and not first["delete_after_submit"], "DeleteAfterSubmit only for never")
    check(lines[2]["from"] == "sales@contoso.test", f"SentOnBehalfOfName: {lines[2]['from']}")
    reply = lines[3]
    check(reply["subject"] == "Re: Quarterly report" and reply["in_reply_to"] == "<quarterly@example.com>"
          and "<quarterly@example.com>" in reply["references"] and "承知しました" in reply["body"],
          f"the reply threads: {reply['subject']} {reply['in_reply_to']} {reply['references']}")
