# A 50 MB customer name between two good records.
{
	echo "CustomerId,CustomerName,SubscriptionId,OfferName,Quantity"
	echo "c1,Good Co,s1,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),3"
	printf 'c2,"'
	head -c 50000000 /dev/zero | tr '\0' 'x'
	echo '",s2,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),4'
	echo "c3,Next Co,s3,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),5"
} >subscriptions.csv
