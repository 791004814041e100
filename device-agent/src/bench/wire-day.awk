# Reads wire-day.sh's packets.csv (epoch,up|down,ip_len,tcp_len,S|F|"") and -v frames=FILE (the cloud's received_at
# of each telemetry frame, ms). Groups packets into bursts (gaps over 2 s) and names each:
#   connect     it holds the SYN: TCP, TLS handshake, CONNECT/CONNACK, subscriptions, shadow get and report, jobs query
#   close       it holds the FIN: DISCONNECT, close_notify, FIN/ACK
#   frame       a telemetry frame was stored at the cloud during it: PUBLISH, PUBACK and their ACKs
#   keep-alive  one 40-byte record each way (PINGREQ/PINGRESP, 2 bytes, in a JDK TLS 1.3 record)
#   event/voice over 2,000 bytes up: an event and a voice clip (sized by what the dog does: not in the day's budget)
#   other       anything else (shadow reports, jobs), extrapolated at the rate seen
# and extrapolates a collar-day at the defaults: 1 connect + 1 close + 288 frames (the mean frame burst) + 86400/1200
# keep-alives only if the capture shows any + the other bursts at their rate. Bytes at two layers: TCP payload (the
# TLS records) and IP (with the IP and TCP headers of every packet, pure ACKs included).
BEGIN {
  FS = ","
  n = 0
  while ((getline line < frames) > 0) { if (line != "") { f[n++] = line / 1000.0 } }
  nb = 0; last = -1
}
{
  t = $1 + 0
  if (last < 0 || t - last > 2) { nb++; start[nb] = t; kind[nb] = "" }
  last = t; stop[nb] = t
  pk[nb]++
  if ($2 == "up") { upT[nb] += $4; upI[nb] += $3 } else { dnT[nb] += $4; dnI[nb] += $3 }
  if ($5 == "S") { kind[nb] = "connect" }
  if ($5 == "F" && kind[nb] == "") { kind[nb] = "close" }
  if ($4 > 0) { records[nb] = records[nb] " " $2 ":" $4 }
}
END {
  first = start[1]
  for (b = 1; b <= nb; b++) {
    if (kind[b] == "") {
      for (i = 0; i < n; i++) { if (f[i] >= start[b] - 1 && f[i] <= stop[b] + 1) { kind[b] = "frame" } }
    }
    if (kind[b] == "" && upT[b] > 2000) { kind[b] = "event/voice" }
    if (kind[b] == "" && upT[b] == 40 && dnT[b] == 40) { kind[b] = "keep-alive" }
    if (kind[b] == "") { kind[b] = "other" }
    printf "burst %2d at %6.1f s  %-11s packets %3d  TCP payload up %6d down %5d  IP up %6d down %5d  records%s\n",
      b, start[b] - first, kind[b], pk[b], upT[b], dnT[b], upI[b], dnI[b], records[b]
    cnt[kind[b]]++
    sumT[kind[b]] += upT[b] + dnT[b]; sumI[kind[b]] += upI[b] + dnI[b]
  }
  span = last - first
  printf "captured %.0f s, %d bursts, %d frames stored\n", span, nb, n
  if (cnt["connect"] != 1 || cnt["frame"] < 1) {
    print "no per-day extrapolation: need exactly one connect and at least one frame burst"
    exit
  }
  frameT = sumT["frame"] / cnt["frame"]; frameI = sumI["frame"] / cnt["frame"]
  kaT = cnt["keep-alive"] ? sumT["keep-alive"] / cnt["keep-alive"] : 0
  kaI = cnt["keep-alive"] ? sumI["keep-alive"] / cnt["keep-alive"] : 0
  kaDay = cnt["keep-alive"] ? 86400 / 1200 : 0
  otherDay = cnt["other"] * 86400 / span
  otherT = cnt["other"] ? sumT["other"] / cnt["other"] : 0
  otherI = cnt["other"] ? sumI["other"] / cnt["other"] : 0
  printf "each, both directions (TCP payload / IP): connect %d / %d; close %d / %d; frame %.0f / %.0f;",
    sumT["connect"], sumI["connect"], sumT["close"], sumI["close"], frameT, frameI
  printf " keep-alive %.0f / %.0f (%d seen); other %.0f / %.0f (%d seen); event/voice %d / %d (%d seen, not in the day)\n",
    kaT, kaI, cnt["keep-alive"], otherT, otherI, cnt["other"], sumT["event/voice"], sumI["event/voice"],
    cnt["event/voice"]
  dayT = sumT["connect"] + sumT["close"] + 288 * frameT + kaDay * kaT + otherDay * otherT
  dayI = sumI["connect"] + sumI["close"] + 288 * frameI + kaDay * kaI + otherDay * otherI
  printf "collar-day (1 connect + 1 close + 288 frames + %d keep-alives + %.1f other): TCP payload %.0f bytes, IP %.0f bytes\n",
    kaDay, otherDay, dayT, dayI
}
