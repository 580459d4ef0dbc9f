Console.WriteLine("serval-instance");
