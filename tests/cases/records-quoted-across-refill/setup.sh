# Filler up to just before the 1 MiB read size, then a record whose quoted
# name runs over a line end, so the reader refills its buffer inside it.
python3 - <<'PY'
head = "CustomerId,CustomerName,SubscriptionId,OfferName,Quantity\n"
row = "c0,Filler Co,s%07d,Office 365 E3,1\n"
out = [head]
size = len(head)
i = 0
while size < 1048576 - 40:
    line = row % i
    out.append(line)
    size += len(line)
    i += 1
out.append('c9,"Multi\nLine Co, Ltd",s9,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),5\n')
out.append('c8,Next Co,s8,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),3\n')
# More filler, so that the refilled buffer holds new bytes where c9 was.
out.extend(row.replace("s%07d", "t%07d") % k for k in range(30000))
open("subscriptions.csv", "w").write("".join(out))
PY
