# Reads wire-day.sh's packets.csv (epoch,up|down,ip_len,tcp_len,flags) and -v frames=FILE (the cloud's received_at of
# each telemetry frame, ms). Groups packets into bursts (gaps over 2 s), names each burst — connect (it holds a SYN),
# frame (a frame was received in it), keep-alive (2-byte MQTT PINGREQ/PINGRESP: one 24-byte TLS record each way),
# other — and extrapolates a collar-day: 1 connect + 288 frame bursts (the mean measured) + 86400/1200 keep-alive
# bursts only if the capture shows any + the other bursts at their measured rate. Bytes at two layers: TCP payload
# (the TLS records) and IP (with the IP and TCP headers of every packet, ACKs included).
BEGIN {
  FS = ","
  n = 0
  while ((getline line < frames) > 0) { if (line != "") { f[n++] = line / 1000.0 } }
  nb = 0; last = -1
}
{
  t = $1 + 0
  if (last < 0 || t - last > 2) { nb++; start[nb] = t; kind[nb] = "other" }
  last = t; stop[nb] = t
  pk[nb]++
  if ($2 == "up") { upT[nb] += $4; upI[nb] += $3 } else { dnT[nb] += $4; dnI[nb] += $3 }
  if ($5 ~ /S/ && $2 == "up") { kind[nb] = "connect" }
  if ($4 > 0) { records[nb] = records[nb] " " $2 ":" $4 }
}
END {
  first = start[1]
  for (b = 1; b <= nb; b++) {
    if (kind[b] != "connect") {
      for (i = 0; i < n; i++) { if (f[i] >= start[b] - 1 && f[i] <= stop[b] + 1) { kind[b] = "frame" } }
      if (kind[b] == "other" && upT[b] == 24 && dnT[b] == 24) { kind[b] = "keep-alive" }
    }
    printf "burst %2d at %6.1f s  %-10s packets %3d  TCP payload up %5d down %5d  IP up %5d down %5d  records%s\n",
      b, start[b] - first, kind[b], pk[b], upT[b], dnT[b], upI[b], dnI[b], records[b]
    cnt[kind[b]]++
    sumT[kind[b]] += upT[b] + dnT[b]; sumI[kind[b]] += upI[b] + dnI[b]
  }
  span = last - first
  printf "captured %.0f s, %d bursts, %d frames stored in it\n", span, nb, n
  if (cnt["connect"] != 1 || cnt["frame"] < 1) {
    print "no per-day extrapolation: need exactly one connect and at least one frame burst"
    exit
  }
  frameT = sumT["frame"] / cnt["frame"]; frameI = sumI["frame"] / cnt["frame"]
  kaT = cnt["keep-alive"] ? sumT["keep-alive"] / cnt["keep-alive"] : 0
  kaI = cnt["keep-alive"] ? sumI["keep-alive"] / cnt["keep-alive"] : 0
  kaDay = cnt["keep-alive"] ? 86400 / 1200 : 0
  otherPerDay = cnt["other"] * 86400 / span
  dayT = sumT["connect"] + 288 * frameT + kaDay * kaT + (cnt["other"] ? otherPerDay * sumT["other"] / cnt["other"] : 0)
  dayI = sumI["connect"] + 288 * frameI + kaDay * kaI + (cnt["other"] ? otherPerDay * sumI["other"] / cnt["other"] : 0)
  printf "per item (both directions): connect TCP %d / IP %d bytes; frame TCP %.0f / IP %.0f; keep-alive TCP %.0f / IP %.0f (%d seen); other bursts %d\n",
    sumT["connect"], sumI["connect"], frameT, frameI, kaT, kaI, cnt["keep-alive"], cnt["other"]
  printf "collar-day (1 connect + 288 frames + %d keep-alives + %.1f other bursts): TCP payload %.0f bytes, IP %.0f bytes\n",
    kaDay, otherPerDay, dayT, dayI
}
