# A line of 70 KB that starts 64 KiB before the end of the reader's first
# 1 MiB block, with more rows after it: it must stay one record.
python3 - <<'PY'
head = "CustomerId,SubscriptionId,OfferName,Quantity,Extra\n"
out = [head]
size = len(head)
i = 0
target = 1048576 - 65536
while size < target - 40:
    line = "c0,s%07d,Office 365 E3,1,x\n" % i
    out.append(line)
    size += len(line)
    i += 1
pad = target - size - len("c0,p,Office 365 E3,1,\n")
out.append("c0,p,Office 365 E3,1," + "y" * pad + "\n")
out.append("c1,s1,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),5," + "z" * 70000 + "\n")
out.append("c2,s2,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),3,\n")
data = "".join(out)
assert data.index("c1,s1,") == target, (data.index("c1,s1,"), target)
open("subscriptions.csv", "w").write(data)
PY
