# A line of a million fields between two good records.
{
	echo "CustomerId,CustomerName,SubscriptionId,OfferName,Quantity"
	echo "c1,Good Co,s1,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),3"
	yes "a," | head -n 999999 | tr -d '\n'
	echo "a"
	echo "c3,Next Co,s3,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),5"
} >subscriptions.csv
